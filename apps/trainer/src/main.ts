import { bootService } from '@inkwell/runtime';
import { trainerService } from './service';

await bootService(trainerService);
