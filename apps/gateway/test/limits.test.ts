/**
 * The pieces of the rate limit on their own: the token bucket with bounded memory, the client
 * address behind (only trusted) proxies, and reading a bearer token however it is spelled.
 */
import { describe, expect, it } from "vitest"
import { bearerToken, clientAddress, rateLimiter } from "../src/App.js"

describe("rateLimiter", () => {
  it("allows perMinute requests, refuses the next with a Retry-After, and refills over time", () => {
    let now = 0
    const take = rateLimiter(6, () => now)
    for (let i = 0; i < 6; i++) expect(take("a").allowed).toBe(true)
    const refused = take("a")
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 10 })
    expect(take("b").allowed).toBe(true) // another key, its own bucket
    now += 10_000
    expect(take("a").allowed).toBe(true)
    expect(take("a").allowed).toBe(false)
  })

  it("keeps an active client's empty bucket when a flood of new keys fills memory", () => {
    let now = 0
    const take = rateLimiter(3, () => now, 100)
    for (let i = 0; i < 3; i++) take("busy")
    expect(take("busy").allowed).toBe(false)
    for (let i = 0; i < 1_000; i++) {
      now += 1
      take(`flood-${i}`)
      if (i % 50 === 0) take("busy") // still active: never the stalest key
    }
    expect(take.size()).toBeLessThanOrEqual(100)
    expect(take("busy").allowed).toBe(false)
  })

  it("forgets refilled buckets first: they are the same as no bucket", () => {
    let now = 0
    const take = rateLimiter(60, () => now, 10)
    for (let i = 0; i < 9; i++) take(`idle-${i}`)
    for (let i = 0; i < 60; i++) take("busy")
    now += 30_000 // the idle buckets are full again; "busy" has refilled only half
    take("new")
    expect(take.size()).toBe(2)
    expect(take.peek("busy")).toBe(30)
  })
})

describe("clientAddress", () => {
  const none = new Set<string>()
  const proxies = new Set(["10.0.0.2", "10.0.0.3"])

  it("is the socket's peer unless that peer is a trusted proxy", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9")
    expect(clientAddress(undefined, "198.51.100.1", none)).toBe("unknown")
  })

  it("behind trusted proxies, takes the right-most address that is not one of them", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1", proxies)).toBe("198.51.100.1")
    // The client wrote the first entry itself; only what our proxies appended is believed.
    expect(clientAddress("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.3", proxies)).toBe("198.51.100.1")
    expect(clientAddress("10.0.0.2", " , ", proxies)).toBe("10.0.0.2")
  })
})

describe("bearerToken", () => {
  it("reads the token whatever the case of the scheme and the spacing", () => {
    for (const header of ["Bearer abc", "bearer abc", "BEARER  abc", "Bearer\tabc ", "Bearer abc  "])
      expect(bearerToken(header), header).toBe("abc")
  })

  it("reads nothing from other schemes, two tokens or control characters", () => {
    for (const header of [
      undefined,
      "",
      "Basic YWJj",
      "Bearer",
      "Bearer a b",
      "Bearer a\u0000b",
      "Bearerabc",
    ])
      expect(bearerToken(header), String(header)).toBeUndefined()
  })
})
