/*
** lua_sock.h: the Lua Socket class (lua_sock.c): core.tcp() sockets that
** yield to the reactor, LuaSocket's calling conventions.
*/
#ifndef HLP_LUA_SOCK_H
#define HLP_LUA_SOCK_H

/* Receive timeout, connect and send included, until settimeout() (ms). */
#define HLP_LSOCK_DEFAULT_TMO 10000

/* core.tcp(): a new Socket on the stack (raises in a fetch or converter). */
HLP_PRIVATE int hlp_lua_sock_new(lua_State *L);

/* Register the Socket class (its metatable) in <L>. */
HLP_PRIVATE void hlp_lua_sock_register(lua_State *L);

/*
** The execution <r> (about to be released) ends: close the sockets it
** created and forget it as a waiter. Cheap when it used no socket.
*/
HLP_PRIVATE void hlp_lua_sock_run_end(struct hlp *h, struct hlp_lua_run *r);

#endif
