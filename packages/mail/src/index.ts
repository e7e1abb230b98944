/**
 * @verzuimregie/mail — the mail of verzuimregie, on nodemailer.
 *
 * - `MailConfig`: settings from the environment (SMTP with TLS, or the file outbox);
 * - `Transport`: SMTP or `.eml` files, and which failures are permanent;
 * - `Messages`: outbox payloads (ids only) and the stable Message-ID;
 * - `Templates`: the Dutch texts (no pupil names, BSNs or birth dates);
 * - `Render`: payload → message, with what `Reports` (@verzuimregie/app) reads as the mail worker;
 * - `Worker`: the outbox worker with exponential backoff, jitter and dead letters;
 * - `Schedules` / `Scheduler`: when summaries are due, enqueued at most once per period;
 * - `Notifier`: notifications to users (`Notifications` in @verzuimregie/app) on the scheduler's tick;
 * - `Checks`, `PseudonymKey`: start-up checks; `Mail`: `start` / `layer` for the gateway.
 *
 * @since 0.1.0
 */
export * as Checks from "./Checks.js"
export * as Mail from "./Mail.js"
export * as MailConfig from "./MailConfig.js"
export * as Messages from "./Messages.js"
export * as Notifier from "./Notifier.js"
export * as PseudonymKey from "./PseudonymKey.js"
export * as Render from "./Render.js"
export * as Scheduler from "./Scheduler.js"
export * as Schedules from "./Schedules.js"
export * as Templates from "./Templates.js"
export * as Transport from "./Transport.js"
export * as Worker from "./Worker.js"
