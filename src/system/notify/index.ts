/**
 * Notifications to webhooks: halts, the kill switch, actor faults, loss limits, an expired broker
 * session and DLQ growth, pushed to a generic JSON webhook, Slack and Telegram, with retries and
 * without blocking any actor.
 */
export * from './notification.js';
export { startNotifications, type Notifier, type NotifyOptions } from './start-notifications.js';
export { noticeStartState } from './start-state.js';
