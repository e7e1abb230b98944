/**
 * Starting mail in the gateway's process: the scheduler (enqueues summaries when due) and the
 * outbox worker (sends them), both forked into the caller's scope and stopped with it.
 *
 * @example
 * // apps/gateway: after loading the region configuration
 * const config = Either.getOrThrow(MailConfig.fromEnvironment(process.env))
 * const MailLive = Mail.layer({ regions: loaded.regions, config, environment: process.env })
 * const AppLive = Layer.provide(MailLive, Store.layerFromConfig)
 *
 * @since 0.1.0
 */
import { hostname } from "node:os"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import type {
  Accounts,
  AuditLog,
  CaseQueries,
  CaseStore,
  NotificationStore,
  Outbox,
} from "@verzuimregie/store"
import { Effect, Layer, type Scope } from "effect"
import * as Checks from "./Checks.js"
import { describe, type Environment, type MailConfig, senderDomain } from "./MailConfig.js"
import * as Notifier from "./Notifier.js"
import * as PseudonymKey from "./PseudonymKey.js"
import { DEFAULT_SYSTEM_IDENTITY, type RenderEnv, type SystemIdentity } from "./Render.js"
import * as Scheduler from "./Scheduler.js"
import { fromConfig, Mailer, type SmtpOptions, type Transport } from "./Transport.js"
import * as Worker from "./Worker.js"

export interface StartOptions {
  readonly regions: ReadonlyArray<RegionConfig.EnabledRegion>
  readonly config: MailConfig
  /** For `DATABASE_URL` (is the pseudonym key required?). Default `process.env`. */
  readonly environment?: Environment
  /** Default `<host>-<pid>`. */
  readonly workerId?: string
  /** Scheduler tick. Default 60 s. */
  readonly tickMs?: number
  /** Worker pause when the outbox is empty. Default 5 s. */
  readonly pollMs?: number
  readonly batchSize?: number
  readonly leaseMs?: number
  /** Who the audit log names when mail reads cases. */
  readonly identity?: SystemIdentity
  readonly brinOf?: (schoolId: string) => string | undefined
  /** Run the scheduler here (default true); false for instances that only send. */
  readonly scheduler?: boolean
  /** Another transport (tests); default the one the configuration asks for. */
  readonly transport?: Transport
  readonly smtp?: SmtpOptions
}

export type Requirements =
  | Outbox.Outbox
  | CaseQueries.CaseQueries
  | CaseStore.CaseStore
  | Accounts.Accounts
  | AuditLog.AuditLog
  | NotificationStore.NotificationStore

/** The render environment for these options (also used by the command line). */
export const renderEnv = (options: StartOptions, pseudonymKey: string | undefined): RenderEnv => ({
  regions: new Map(options.regions.map((r) => [r.region.id as string, r])),
  publicUrl: options.config.publicUrl,
  pseudonymKey,
  identity: options.identity ?? DEFAULT_SYSTEM_IDENTITY,
  signInLinkMs: options.config.signInLinkMs,
  ...(options.brinOf === undefined ? {} : { brinOf: options.brinOf }),
})

export const workerOptions = (options: StartOptions): Worker.WorkerOptions => ({
  workerId: (options.workerId ?? `${hostname()}-${process.pid}`).slice(0, 100),
  from: options.config.from,
  messageIdDomain: senderDomain(options.config.from),
  retry: options.config.retry,
  ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
})

/**
 * Checks the regions' mail settings (a start-up error names the region and the field), resolves
 * the pseudonym key when a region sends the Inspectie overview, opens the transport (an SMTP
 * server that cannot be reached is a warning: mail waits in the outbox), and forks the scheduler
 * and the worker into the scope.
 */
export const start = (
  options: StartOptions,
): Effect.Effect<void, Checks.MailStartupError, Scope.Scope | Requirements> =>
  Effect.gen(function* () {
    const problem = Checks.check(options.regions)
    if (problem !== undefined) return yield* Effect.fail(problem)
    const needsKey = options.regions.some((r) => r.inspectie !== undefined)
    const key = needsKey
      ? yield* PseudonymKey.resolve(options.config, options.environment ?? process.env)
      : undefined
    const transport = yield* Effect.acquireRelease(
      Effect.sync(() => options.transport ?? fromConfig(options.config, options.smtp)),
      (t) => Effect.sync(() => t.close()),
    )
    yield* Effect.logInfo(
      `mail started: messages go to ${describe(options.config).replace(/^mail: /, "")}, from ${options.config.from}, with links to ${options.config.publicUrl}`,
    )
    yield* Effect.tryPromise(() => transport.verify()).pipe(
      Effect.catchAll((error) =>
        Effect.logWarning(
          `mail: ${transport.describe} is not reachable now (${String(error.error)}); mail waits in the outbox`,
        ),
      ),
    )
    const env = renderEnv(options, key)
    const worker = Worker.run(workerOptions(options), env).pipe(Effect.provideService(Mailer, transport))
    yield* Effect.forkScoped(worker)
    if (options.scheduler !== false) {
      yield* Effect.forkScoped(
        Scheduler.run(options.regions, {
          maxAttempts: options.config.retry.maxAttempts,
          ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
        }),
      )
      // Notifications to users: time-driven notices, dispatch per preference, daily digests.
      yield* Effect.forkScoped(
        Notifier.run(options.regions, {
          workerId: workerOptions(options).workerId,
          ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
        }),
      )
    }
  })

/** `start` as a layer: mail runs while the layer is alive. */
export const layer = (options: StartOptions): Layer.Layer<never, Checks.MailStartupError, Requirements> =>
  Layer.scopedDiscard(start(options))
