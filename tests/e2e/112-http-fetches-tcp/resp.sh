#!/bin/sh
printf "HTTP/1.1 404 Not Found\r\nX-A: 1, 2\r\nX-A: 3\r\n\r\n"; sleep 0.3
