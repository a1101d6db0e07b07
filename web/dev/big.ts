import { writeBigCapture } from '../../e2e/support/big-capture.ts';
const r = writeBigCapture(process.argv[2], Number(process.argv[3]) * 1024 * 1024);
console.log(JSON.stringify(r));
