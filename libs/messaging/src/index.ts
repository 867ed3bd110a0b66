export * from './cloud-event';
export * from './routing';
export * from './schemas';
export * from './kafka';
export * from './relay';
export * from './outcomes';
