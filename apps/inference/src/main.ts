import { bootService } from '@inkwell/runtime';
import { inferenceService } from './service';

await bootService(inferenceService);
