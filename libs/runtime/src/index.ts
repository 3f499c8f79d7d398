export * from './service-definition';
export * from './assemble-service';
export * from './bind-host';
export * from './open-service';
export * from './boot-service';
export * from './start-service';
