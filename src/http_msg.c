/*
** http_msg.c
*/

#include "int.h"
