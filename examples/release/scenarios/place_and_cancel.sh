#!/bin/sh
# Scenario 1: a new order can be placed and cancelled; it leaves no trace.
set -eu
customer="canary-$STABLEGATE_RUN_ID"
sh scenarios/db.sh "insert into orders (customer, status) values ('$customer', 'pending')"
count=$(sh scenarios/db.sh "select count(*) from orders where customer = '$customer'")
echo "placed order for $customer (rows: $count)"
[ "$count" = 1 ]
sh scenarios/db.sh "delete from orders where customer = '$customer'"
echo "cancelled"
