/**
 * Anchors of the audit chain outside the database. Whoever can write the database can delete the
 * newest audit records and rewrite `audit_head` to the last remaining one: the chain still checks
 * out. An anchor, the head's sequence number (= the number of records) and hash written somewhere
 * else, catches that: a later chain must still hold that hash at that sequence number.
 *
 * The anchor file is append-only JSON lines, one anchor per line, kept apart from the database
 * (another disk or machine; `chattr +a` where the file system allows it). The gateway appends an
 * anchor every hour and at shutdown; `verify-audit --anchors FILE` checks them. Each staff summary
 * mail carries the head too, an anchor at its recipients.
 *
 * @example
 * yield* AuditAnchor.write("/var/log/verzuimregie/audit-anchors.jsonl")
 * const anchors = yield* AuditAnchor.read("/var/log/verzuimregie/audit-anchors.jsonl")
 * const result = yield* (yield* AuditLog).verify({ anchors })
 *
 * @since 0.1.0
 */

import * as Fs from "node:fs"
import * as Path from "node:path"
import type { SqlError } from "@effect/sql/SqlError"
import { HttpMeaning } from "@verzuimregie/domain"
import { Effect, Schema } from "effect"
import { type AuditAnchorPoint, AuditLog } from "./AuditLog.js"
import { DEFAULT_DATA_DIR } from "./Database.js"
import { makePrivateDirectory, PRIVATE_FILE_MODE } from "./internal/connect.js"
import { now } from "./internal/service.js"

export type { AuditAnchorPoint }

/** The default file name; `AUDIT_ANCHOR_FILE` chooses another place. */
export const DEFAULT_FILE_NAME = "audit-anchors.jsonl"

/**
 * Where the gateway anchors and `verify-audit` looks: `AUDIT_ANCHOR_FILE`, else the file in the
 * data folder (best kept on another disk or machine: see docs/operations.md).
 */
export const fileFromEnvironment = (env: Readonly<Record<string, string | undefined>>): string =>
  env.AUDIT_ANCHOR_FILE?.trim() || Path.join(env.DATA_DIR?.trim() || DEFAULT_DATA_DIR, DEFAULT_FILE_NAME)

/** One line of the anchor file. */
export interface Anchor extends AuditAnchorPoint {
  /** When it was written (UTC). */
  readonly at: string
  /** The line in the file (1-based), for messages. */
  readonly line: number
}

export class AnchorFileError extends Schema.TaggedError<AnchorFileError>()(
  "AnchorFileError",
  {
    file: Schema.String,
    /** 0 when the file as a whole is the problem. */
    line: Schema.Number,
    reason: Schema.String,
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return this.line === 0
      ? `ankerbestand ${this.file}: ${this.reason}`
      : `ankerbestand ${this.file}, regel ${this.line}: ${this.reason}`
  }
}

const HASH = /^[0-9a-f]{64}$/

const AnchorLine = Schema.Struct({
  at: Schema.String,
  seq: Schema.Int.pipe(Schema.nonNegative()),
  hash: Schema.String.pipe(Schema.pattern(HASH, { message: () => "verwacht 64 hexadecimale tekens" })),
})

/**
 * Appends the current head to the file (created `0600`, its folder `0700`) and flushes it to disk.
 * One `write` of a short line on a file opened for appending: concurrent writers do not interleave.
 */
export const write = (
  file: string,
): Effect.Effect<AuditAnchorPoint & { readonly at: string }, AnchorFileError | SqlError, AuditLog> =>
  Effect.gen(function* () {
    const head = yield* (yield* AuditLog).head
    const at = yield* now
    const path = Path.resolve(file)
    const line = `${JSON.stringify({ at, seq: head.seq, hash: head.hash })}\n`
    yield* Effect.try({
      try: () => {
        makePrivateDirectory(Path.dirname(path))
        const fd = Fs.openSync(path, "a", PRIVATE_FILE_MODE)
        try {
          Fs.writeSync(fd, line)
          Fs.fsyncSync(fd)
        } finally {
          Fs.closeSync(fd)
        }
      },
      catch: (error) =>
        new AnchorFileError({
          file: path,
          line: 0,
          reason: `kan niet toevoegen: ${error instanceof Error ? error.message : String(error)}`,
        }),
    })
    return { at, seq: head.seq, hash: head.hash }
  })

/** Reads every anchor of the file; a line that is not an anchor fails with its line number. */
export const read = (file: string): Effect.Effect<ReadonlyArray<Anchor>, AnchorFileError> =>
  Effect.gen(function* () {
    const path = Path.resolve(file)
    const text = yield* Effect.try({
      try: () => Fs.readFileSync(path, "utf8"),
      catch: (error) =>
        new AnchorFileError({
          file: path,
          line: 0,
          reason:
            (error as { code?: unknown }).code === "ENOENT"
              ? "het bestand bestaat niet"
              : `niet te lezen: ${error instanceof Error ? error.message : String(error)}`,
        }),
    })
    const anchors: Array<Anchor> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const content = lines[i]?.trim() ?? ""
      if (content === "") continue
      const fail = (reason: string) => Effect.fail(new AnchorFileError({ file: path, line: i + 1, reason }))
      let parsed: unknown
      try {
        parsed = JSON.parse(content)
      } catch {
        return yield* fail("geen JSON-regel")
      }
      const decoded = Schema.decodeUnknownEither(AnchorLine)(parsed)
      if (decoded._tag === "Left") {
        const issue = decoded.left.message.split("\n").slice(-1)[0]?.trim() ?? ""
        return yield* fail(`geen anker {at, seq, hash}: ${issue}`)
      }
      anchors.push({ ...decoded.right, line: i + 1 })
    }
    if (anchors.length === 0) {
      return yield* Effect.fail(
        new AnchorFileError({ file: path, line: 0, reason: "het bestand bevat geen ankers" }),
      )
    }
    return anchors
  })
