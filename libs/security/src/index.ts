export * from './principal';
export * from './tokens';
export * from './sealing/canonical';
export * from './sealing/seal';
export * from './sealing/stream-keys';
export * from './sealing/sealed-event-store';
export * from './sealing/verify';
export * from './access-log';
