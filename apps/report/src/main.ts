import { bootService } from '@inkwell/runtime';
import { reportService } from './service';

await bootService(reportService);
