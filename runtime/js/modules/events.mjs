const EventEmitter = require("events");
export default EventEmitter;
export const { once } = EventEmitter;
export { EventEmitter };
