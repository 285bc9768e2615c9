/*
** lua_http.c
*/

#include "int.h"
