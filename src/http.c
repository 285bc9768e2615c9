/*
** http.c
*/

#include "int.h"
