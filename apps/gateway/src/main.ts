import { bootService } from '@inkwell/runtime';
import { gatewayService } from './service';

await bootService(gatewayService);
