/**
 * Preloaded (`node --require`) into the API linters the tests run: any connection to a host that
 * is not this machine is refused and written to NO_NETWORK_LOG, so a test can prove a tool worked
 * offline (no telemetry, no fetched rulesets or schemas) instead of hoping it did.
 */
const net = require("node:net")
const dns = require("node:dns")
const fs = require("node:fs")

const log = process.env.NO_NETWORK_LOG
const local = (host) =>
  host === undefined || host === "localhost" || host === "::1" || /^127\./.test(String(host))
const record = (what) => {
  if (log) fs.appendFileSync(log, `${what}\n`)
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const options = typeof args[0] === "object" && args[0] !== null ? args[0] : { port: args[0], host: args[1] }
  if (options.path === undefined && !local(options.host)) {
    record(`connect ${options.host}:${options.port}`)
    throw new Error(`no network in this test: ${options.host}`)
  }
  return connect.apply(this, args)
}
const lookup = dns.lookup
dns.lookup = function (host, ...rest) {
  if (!local(host)) record(`lookup ${host}`)
  return lookup.call(this, local(host) ? host : "invalid.invalid", ...rest)
}
for (const name of ["resolve", "resolve4", "resolve6"]) {
  const original = dns.promises[name]
  dns.promises[name] = function (host, ...rest) {
    if (!local(host)) record(`resolve ${host}`)
    return original.call(this, host, ...rest)
  }
}
// Node's own fetch (undici) connects through net too; this catches it before any DNS.
const realFetch = globalThis.fetch
if (realFetch !== undefined) {
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url)
    if (!local(url.hostname)) {
      record(`fetch ${url.origin}`)
      return Promise.reject(new Error(`no network in this test: ${url.origin}`))
    }
    return realFetch(input, init)
  }
}
