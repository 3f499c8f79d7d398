import { bootService } from '@inkwell/runtime';
import { auditService } from './service';

await bootService(auditService);
