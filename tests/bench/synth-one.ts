import { App } from 'cdktf';
import { buildLivora } from '../../stacks/src/livora.ts';
import { deploymentFromEnv, platformFor } from '../../stacks/src/main.ts';

// One deployment synthesized in a fresh process, as `cdktf synth` runs the app: prints
// the process's peak resident memory (KB) for bench:synth.
const deployment = deploymentFromEnv(process.env);
const app = new App();
buildLivora(app, deployment, platformFor(deployment));
app.synth();
console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
