/*
** lua_core.c: the utility members of the core class (dates, tokenize,
** addresses, Concat, get_info, proxies, now).
*/

#include "int.h"

/* Add the utility functions to the core table at the top of the stack. */
HLP_PRIVATE void hlp_lua_core_utils(lua_State *L)
{
	(void)L;
}
