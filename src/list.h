/*
** list.h: the intrusive doubly linked list used for sessions, queues and
** waiters. All operations are O(1); an element not in a list has n == p ==
** itself after hlp_list_del().
*/
#ifndef HLP_LIST_H
#define HLP_LIST_H

static inline void hlp_list_init(struct hlp_list *l)
{
	l->n = l->p = l;
}

static inline int hlp_list_empty(const struct hlp_list *l)
{
	return l->n == l;
}

static inline void hlp_list_add_tail(struct hlp_list *head, struct hlp_list *e)
{
	e->p = head->p;
	e->n = head;
	head->p->n = e;
	head->p = e;
}

static inline void hlp_list_del(struct hlp_list *e)
{
	e->p->n = e->n;
	e->n->p = e->p;
	e->n = e->p = e;
}

#endif
