// `npm run bench`: runs the TypeScript bench with tsx (it imports the emulator and test helpers from source).
import { register } from 'tsx/esm/api';

register();
await import('./bench/main.ts');
