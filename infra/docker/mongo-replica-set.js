// Healthcheck of the `mongo` service in docker-compose.yml (run with `mongosh --quiet --file`).
//
// It turns the fresh `mongod --replSet rs0` into a single-node replica set on its first run and
// reports healthy only once this node is the writable primary, so apps that wait for
// `service_healthy` never meet a "not primary" error. Idempotent: `rs.initiate` runs only while
// the set has no configuration; later runs (and restarts with the data volume) only check.
//
// The member is named `mongo:27017` (the compose service name) because the apps connect from
// other containers with `?replicaSet=rs0` and then use the member names the set advertises.
// From the host, connect with `mongodb://localhost:27017/?directConnection=true`.
const NOT_YET_INITIALIZED = 94;
const ALREADY_INITIALIZED = 23;

try {
  rs.status();
} catch (e) {
  if (e.code !== NOT_YET_INITIALIZED) throw e;
  try {
    rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] });
  } catch (e2) {
    // A previous check that timed out may have initiated the set meanwhile: that is fine.
    if (e2.code !== ALREADY_INITIALIZED) throw e2;
  }
}

if (!db.hello().isWritablePrimary) {
  print('replica set rs0 has no writable primary yet');
  quit(1);
}
