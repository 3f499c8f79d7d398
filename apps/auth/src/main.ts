import { bootService } from '@inkwell/runtime';
import { authService } from './service';

await bootService(authService);
