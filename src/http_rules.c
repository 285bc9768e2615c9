/*
** http_rules.c
*/

#include "int.h"
