/**
 * Pseudonymous pupil references for statutory reports: HMAC-SHA256 of the pupil id under a
 * secret key, truncated to 64 bits and written as 16 hexadecimal characters in groups of four
 * (`3F9A-1C0E-7B2D-4A58`). The same pupil gets the same reference in every quarter and every
 * school year as long as the key stays the same; without the key nobody can compute a pupil's
 * reference or go back from a reference to the pupil, and the key never leaves the installation.
 *
 * 64 bits keep collisions out of reach for any region (a collision among 100,000 pupils has a
 * chance of about 1 in 3.7 billion) while staying short enough to read out on the phone.
 *
 * @example
 * const pseudonym = Pseudonym.make(secret) // secret: at least 32 bytes
 * pseudonym("pupil_0123456789abcdef") // "3F9A-1C0E-7B2D-4A58"
 *
 * @since 0.1.0
 */
import { createHmac } from "node:crypto"

export const MIN_KEY_BYTES = 32

/** Separates this use of the key from any other use. */
const CONTEXT = "verzuimregie/inspectie-overzicht/leerling:"

export class KeyTooShort extends Error {
  constructor(readonly bytes: number) {
    super(`the pseudonym key has ${bytes} bytes; it needs at least ${MIN_KEY_BYTES} random bytes`)
    this.name = "KeyTooShort"
  }
}

const keyBytes = (key: string | Uint8Array): Buffer =>
  typeof key === "string" ? Buffer.from(key, "utf8") : Buffer.from(key)

/** A function from pupil id to pseudonym under `key` (a string is taken as UTF-8). */
export const make = (key: string | Uint8Array): ((pupilId: string) => string) => {
  const bytes = keyBytes(key)
  if (bytes.length < MIN_KEY_BYTES) throw new KeyTooShort(bytes.length)
  return (pupilId) => {
    const hex = createHmac("sha256", bytes)
      .update(CONTEXT + pupilId, "utf8")
      .digest("hex")
      .slice(0, 16)
      .toUpperCase()
    return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}`
  }
}

/** Whether a text looks like a pseudonym this module makes. */
export const isPseudonym = (s: string): boolean => /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/.test(s)
