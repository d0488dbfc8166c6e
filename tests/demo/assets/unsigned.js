// Loaded by /all-policies without integrity metadata, so that Integrity-Policy blocks it.
console.info('unsigned.js ran: no Integrity-Policy applied to it.');
