/*
** pat.h: pattern lists, as HAProxy's ACLs and maps use them.
**
** A pattern list (struct hlp_pat_ref) is the text of its entries, in order:
** a file's lines, an ACL's inline values, or what Lua and later the runtime
** API add. Every ACL, map converter and Lua Map naming the same file shares
** one list, so a change is seen by all of them at once.
**
** Over a list, each user asks for an index (struct hlp_pat_expr) for one
** match method, case sensitivity and map output type. Indexes are built
** once per (list, method, -i, output) and kept in step with the list:
** exact strings are hashed, prefixes and IP networks hashed per length and
** probed longest first, the other methods walk the entries in order.
*/
#ifndef HLP_PAT_H
#define HLP_PAT_H

/*
** The interface is shared by ACLs, map converters and Lua, and a build
** may use only part of it: unused parts are not warned about.
*/
#define HLP_PAT_API HLP_PRIVATE HLP_UNUSED

/* Match methods, with HAProxy's names (hlp_pat_match_name()). */
enum hlp_pat_match {
	HLP_PAT_FOUND,           /* the sample exists; no pattern */
	HLP_PAT_BOOL,            /* the sample is a non-zero integer; no pattern */
	HLP_PAT_INT,             /* integers and ranges "a:b", ":b", "a:" */
	HLP_PAT_IP,              /* IPv4/IPv6 addresses and networks */
	HLP_PAT_BIN,             /* binary, patterns in hex */
	HLP_PAT_LEN,             /* the string's length against integer ranges */
	HLP_PAT_STR,             /* exact string */
	HLP_PAT_BEG,             /* prefix */
	HLP_PAT_SUB,             /* substring */
	HLP_PAT_DIR,             /* a slash-delimited part */
	HLP_PAT_DOM,             /* a dot-delimited part */
	HLP_PAT_END,             /* suffix */
	HLP_PAT_REG,             /* POSIX extended regex, via hlp_regcomp() */
	HLP_PAT_COUNT
};

/* hlp_pat_ref.flags */
#define HLP_PAT_REF_MAP  0x1u    /* entries have values (a map file) */
#define HLP_PAT_REF_FILE 0x2u    /* loaded from the file <name> */

/* One entry: its key and, in a map, its value (both NUL-terminated). */
struct hlp_pat_ent {
	struct hlp_pat_ent *next, *prev; /* list order */
	const char *key;
	const char *val;         /* "" when the list has no values */
	unsigned id;             /* increasing in list order: first wins */
	int line;                /* line in the file, 0 if added otherwise */
};

struct hlp_pat_expr;

/* A named pattern list (see above). */
struct hlp_pat_ref {
	char *name;              /* file name as written, NULL for inline values */
	unsigned flags;          /* HLP_PAT_REF_* */
	struct hlp_pat_ent *head, *tail;
	unsigned count;          /* entries */
	unsigned next_id;
	struct hlp_pat_expr *exprs;  /* the indexes over this list */
	struct hlp_pat_ref *next;    /* h->pat_refs */
};

/* What a successful match found. */
struct hlp_pat_hit {
	const struct hlp_pat_ent *ent;   /* the entry (its key and value) */
	const regex_t *re;       /* HLP_PAT_REG: the entry's compiled regex */
};

/* The method named <name> ("str", "beg"...), or -1. */
HLP_PAT_API int hlp_pat_match_by_name(const char *name);
HLP_PAT_API const char *hlp_pat_match_name(enum hlp_pat_match m);

/*
** The sample type a method reads: HLP_SMP_ANY (found), HLP_SMP_BOOL
** (bool), HLP_SMP_SINT (int), HLP_SMP_ADDR (ip), HLP_SMP_BIN (bin), else
** HLP_SMP_STR. A fetch fits a method when its output casts to this.
*/
HLP_PAT_API enum hlp_smp_type hlp_pat_match_type(enum hlp_pat_match m);

/*
** The list loaded from file <path> (as a map when <map>, "key value" per
** line, else one pattern per line; '#' lines and blank lines skipped,
** leading blanks stripped), or the one already loaded under that name.
** Returns NULL with a message in <err> when the file cannot be read, or
** when it was loaded before as the other kind (a map used with -f is
** fine: a map's keys are patterns; an ACL file is refused as a map).
*/
HLP_PAT_API struct hlp_pat_ref *hlp_pat_ref_load(struct hlp *h, const char *path, int map, char *err, size_t errlen);

/* The list loaded under <name>, or NULL. */
HLP_PAT_API struct hlp_pat_ref *hlp_pat_ref_find(struct hlp *h, const char *name);

/* A new empty list with no name (an ACL's inline values). NULL on no memory. */
HLP_PAT_API struct hlp_pat_ref *hlp_pat_ref_new(struct hlp *h, int map);

/*
** Append <key> (and <val>, NULL for none) to <ref> and to every index
** over it; <line> is the file line or 0. Returns 0, or -1 with a message
** in <err> when an index cannot parse it (a bad address for an ip index,
** a bad regex, a bad integer value in a map_*_int...), in which case the
** list is left unchanged.
*/
HLP_PAT_API int hlp_pat_ref_add(struct hlp_pat_ref *ref, const char *key, const char *val, int line, char *err, size_t errlen);

/* Remove every entry whose key is <key>. Returns how many were removed. */
HLP_PAT_API int hlp_pat_ref_del(struct hlp_pat_ref *ref, const char *key);

/*
** Set the value of every entry keyed <key> to <val>, or append one when
** there is none (Lua's core.set_map). Returns 0, or -1 with <err>.
*/
HLP_PAT_API int hlp_pat_ref_set(struct hlp_pat_ref *ref, const char *key, const char *val, char *err, size_t errlen);

/* Remove every entry (the runtime API's "clear map"). */
HLP_PAT_API void hlp_pat_ref_clear(struct hlp_pat_ref *ref);

/*
** The index over <ref> for method <m>, case-insensitive when <icase>, and
** for maps whose values must parse as <out> (HLP_SMP_STR, HLP_SMP_SINT,
** HLP_SMP_ADDR; HLP_SMP_ANY for an ACL, which ignores values). An index
** asked for again is shared. On an entry that does not parse, returns NULL
** with the message in <err>, followed as in HAProxy by " at line N of file
** '<file>'" for a file's entry (the message alone for inline values).
*/
HLP_PAT_API struct hlp_pat_expr *hlp_pat_expr_get(struct hlp_pat_ref *ref, enum hlp_pat_match m, int icase,
                                                  enum hlp_smp_type out, char *err, size_t errlen);

/*
** Match sample <smp> against index <e>. <smp> must already be of
** hlp_pat_match_type(m) (the caller casts; a string is not NUL-terminated
** and may be binary). Returns 1 and fills <hit> (may be NULL) on a match:
** for exact strings and, for maps, the longest prefix or network, and
** else the first entry in list order; 0 on no match.
*/
HLP_PAT_API int hlp_pat_exec(const struct hlp_pat_expr *e, const struct hlp_smp *smp, struct hlp_pat_hit *hit);

/* The method of index <e>, and its list. */
HLP_PAT_API enum hlp_pat_match hlp_pat_expr_match(const struct hlp_pat_expr *e);
HLP_PAT_API struct hlp_pat_ref *hlp_pat_expr_ref(const struct hlp_pat_expr *e);

/* Bytes used by the lists and their indexes, and entries in all (for -vv). */
HLP_PAT_API size_t hlp_pat_mem(const struct hlp *h, size_t *entries);

/* Free every list and index of <h>. */
HLP_PAT_API void hlp_pat_free_all(struct hlp *h);

#endif
