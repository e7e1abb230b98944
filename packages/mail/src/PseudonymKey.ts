/**
 * The secret key of the Inspectie pseudonyms. It must stay the same for the whole life of the
 * installation (a new key gives every pupil a new pseudonym), must be kept secret (with it,
 * anyone holding a list of pupil ids could compute their pseudonyms), and must be backed up with
 * the database.
 *
 * `INSPECTIE_PSEUDONYM_KEY` when set (at least 32 characters; `openssl rand -hex 32`). Otherwise,
 * for the embedded SQLite set-up, a key file `DATA_DIR/inspectie-pseudoniem.key`, made once with
 * 32 random bytes and readable by the owner only. With PostgreSQL (several gateway instances) the
 * variable is required, as instances cannot share a file.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Backup, Database } from "@verzuimregie/store"
import { Effect, Either, Redacted } from "effect"
import { MailStartupError } from "./Checks.js"
import { type Environment, type MailConfig, MIN_PSEUDONYM_KEY_LENGTH } from "./MailConfig.js"

/** The key file in `DATA_DIR`; `verzuimregie-store backup` copies it beside the database backup. */
export const KEY_FILE = Backup.PSEUDONYM_KEY_FILE

const problem = (field: string, message: string) =>
  new MailStartupError({ problems: [{ regionId: "", field, message }] })

/** Reads (or on first use creates) the key. */
export const resolve = (config: MailConfig, env: Environment): Effect.Effect<string, MailStartupError> => {
  if (config.pseudonymKey !== undefined) return Effect.succeed(Redacted.value(config.pseudonymKey))
  // The store's own reading of DATABASE_URL: with PostgreSQL several instances share the data.
  const database = Database.fromEnvironment(env)
  if (Either.isRight(database) && database.right._tag === "pg") {
    return Effect.fail(
      problem(
        "INSPECTIE_PSEUDONYM_KEY",
        "is verplicht met PostgreSQL: elke gateway-instantie moet dezelfde sleutel gebruiken (openssl rand -hex 32), geheim gehouden en mee geback-upt",
      ),
    )
  }
  const file = Path.join(config.dataDir, KEY_FILE)
  return Effect.tryPromise({
    try: async () => {
      await Fs.mkdir(config.dataDir, { recursive: true })
      try {
        await Fs.writeFile(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      }
      const key = (await Fs.readFile(file, "utf8")).trim()
      if (Buffer.byteLength(key, "utf8") < MIN_PSEUDONYM_KEY_LENGTH) {
        throw new Error(`de sleutel in ${file} is korter dan ${MIN_PSEUDONYM_KEY_LENGTH} tekens`)
      }
      return key
    },
    catch: (error) =>
      problem(
        "INSPECTIE_PSEUDONYM_KEY",
        `geen sleutel gezet, en het sleutelbestand faalde: ${(error as Error).message}`,
      ),
  })
}
