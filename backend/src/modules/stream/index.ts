export { StreamPublisher, streamChannel } from './stream.publisher.js';
export { StreamHub } from './stream.hub.js';
