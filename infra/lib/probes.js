'use strict';
/**
 * Health probes that speak each server's own protocol, with Node's standard library only
 * (infra runs before `npm install` has finished on a fresh machine).
 */
const net = require('node:net');
const http = require('node:http');

/** Sends one request frame on a fresh TCP connection and resolves with the first whole reply. */
function roundTrip(port, frame, { host = '127.0.0.1', timeoutMs = 2000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const done = (err, value) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer on ${host}:${port} within ${timeoutMs} ms`)));
    socket.on('error', (err) => done(err));
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 4) {
        const size = frame.sizeIncludesPrefix ? buf.readInt32LE(0) : buf.readInt32BE(0) + 4;
        if (buf.length >= size) done(null, buf.subarray(0, size));
      }
    });
  });
}

/**
 * Kafka ApiVersions (v0) round trip: proves the broker's Kafka API answers, not just that a
 * port is open. Error 0 (or 35, UNSUPPORTED_VERSION, which still proves the API) is healthy.
 */
async function kafkaApiVersions(port, opts) {
  const clientId = Buffer.from('hrp-infra');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  let o = 0;
  o = body.writeInt16BE(18, o); // ApiVersions
  o = body.writeInt16BE(0, o);
  o = body.writeInt32BE(7, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  clientId.copy(body, o);
  const frame = Buffer.concat([Buffer.alloc(4), body]);
  frame.writeInt32BE(body.length, 0);
  const reply = await roundTrip(port, frame, opts);
  const correlationId = reply.readInt32BE(4);
  const errorCode = reply.readInt16BE(8);
  if (correlationId !== 7) throw new Error('Kafka answered with a foreign correlation id');
  if (errorCode !== 0 && errorCode !== 35) throw new Error(`Kafka ApiVersions error ${errorCode}`);
  return true;
}

/** MongoDB wire protocol OP_MSG `{ ping: 1, $db: "admin" }`; resolves when `ok` is 1. */
async function mongoPing(port, opts) {
  const cstr = (s) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
  const int32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    return b;
  };
  const dbValue = cstr('admin');
  const elements = Buffer.concat([
    Buffer.from([0x10]),
    cstr('ping'),
    int32(1),
    Buffer.from([0x02]),
    cstr('$db'),
    int32(dbValue.length),
    dbValue,
    Buffer.from([0x00]),
  ]);
  const doc = Buffer.concat([int32(elements.length + 4), elements]);
  const payload = Buffer.concat([int32(0) /* flags */, Buffer.from([0]) /* body section */, doc]);
  const header = Buffer.concat([int32(16 + payload.length), int32(1), int32(0), int32(2013)]);
  const frame = Buffer.concat([header, payload]);
  frame.sizeIncludesPrefix = true;
  const reply = await roundTrip(port, frame, opts);
  const marker = Buffer.from([0x01, 0x6f, 0x6b, 0x00]); // double "ok"
  const at = reply.indexOf(marker, 21);
  if (at < 0 || reply.readDoubleLE(at + marker.length) !== 1) throw new Error('store ping did not return ok: 1');
  return true;
}

/** GET that resolves with the status code (and body) or rejects on a network error. */
function httpGet(url, { timeoutMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

async function keycloakReady(managementPort, opts) {
  const res = await httpGet(`http://127.0.0.1:${managementPort}/health/ready`, opts);
  if (res.status !== 200) throw new Error(`Keycloak /health/ready answered ${res.status}`);
  return true;
}

/** True when something accepts TCP connections on the port (ours or not). */
function portInUse(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

module.exports = { kafkaApiVersions, mongoPing, keycloakReady, httpGet, portInUse };
