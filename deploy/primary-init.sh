#!/bin/bash
# PostgreSQL primary of the scale-out profile (docker-entrypoint-initdb.d):
# lets the replica stream from it with the odoo role.
set -e
echo "host replication $POSTGRES_USER all scram-sha-256" >>"$PGDATA/pg_hba.conf"
