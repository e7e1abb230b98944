/**
 * For the test suites of every package that runs against the store: the PostgreSQL they may use
 * and a fresh schema name per test database. Suites skip their PostgreSQL variants, loudly, when
 * `TEST_DATABASE_URL` is unset, so the plain test command passes on a laptop without PostgreSQL.
 *
 * @since 0.1.0
 */

/** `TEST_DATABASE_URL`, when set. */
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL?.trim() || undefined

let warned = false
/** True when PostgreSQL cannot be tested here; says so once per test file, naming the suite. */
export const skipPostgres = (suite: string): boolean => {
  if (testDatabaseUrl !== undefined) return false
  if (!warned) {
    warned = true
    process.stderr.write(
      `\n!!! PostgreSQL ${suite} tests SKIPPED: TEST_DATABASE_URL is not set. Set it (for example\n` +
        "!!! TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test) to run them; CI does.\n\n",
    )
  }
  return true
}

/** A schema name no other test (or test process) uses: `<prefix>_<time>_<pid>_<random>`. */
export const uniqueSchemaName = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
