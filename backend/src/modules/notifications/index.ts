export { NotificationService, type Notice, type NotificationsOptions } from './notifications.service.js';
export { notificationRoutes } from './notifications.routes.js';
export { NotifyQueue, NOTIFY_QUEUE } from './notify-queue.js';
export { startNotifyWorker } from './notify.processor.js';
export { signBody } from './senders.js';
export type { NotificationMessage } from './message.js';
