-- name: a
/* nothing */
# still nothing
;;
