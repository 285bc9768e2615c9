/*
** int.h: what every module includes. The amalgamation pastes these
** headers once, in this order, and drops the #include lines.
*/
#ifndef HLP_INT_H
#define HLP_INT_H
#include "hlproxy.h"
#include "compat.h"
#include "types.h"
#include "list.h"
#include "proto.h"
#endif
