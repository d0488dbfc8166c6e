/** A request the sender may not make, that is malformed, or that failed in a way the person who asked should read. */
export class RequestError extends Error {}
