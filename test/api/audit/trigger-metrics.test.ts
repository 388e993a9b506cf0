// Trigger calls in /metrics: a PreSignUp that answers and one that throws are counted by trigger
// source and outcome (ok, function-error), against a local server speaking the Lambda Invoke API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, engines } from '../../support/server.js';
import { lambdaConfig, makePool, startTriggerWorld, type TriggerWorld } from '../triggers/support.js';

const basic = `Basic ${Buffer.from(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`).toString('base64')}`;

function sample(text: string, labels: string[]): number {
  const line = text.split('\n').find((l) => l.startsWith('tessera_trigger_calls_total{') && labels.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

for (const engine of engines) {
  describe(`trigger metrics (${engine})`, () => {
    let w: TriggerWorld;
    before(async () => {
      w = await startTriggerWorld(engine);
    });
    after(() => w.close());

    test('calls are counted by trigger source and outcome', async () => {
      let refuse = false;
      w.lambda.handlers.preSignUp = (event) => {
        if (refuse) throw new Error('Not welcome');
        return event;
      };
      const poolId = await makePool(w.s, { LambdaConfig: lambdaConfig({ PreSignUp: 'preSignUp' }) });
      const scrape = async () => (await fetch(`${w.s.url}/metrics`, { headers: { authorization: basic } })).text();
      const before = await scrape();
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'welcome', MessageAction: 'SUPPRESS' }));
      refuse = true;
      await w.s.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'refused', MessageAction: 'SUPPRESS' })).catch(() => undefined);
      const text = await scrape();
      const delta = (outcome: string) =>
        sample(text, ['trigger="PreSignUp_AdminCreateUser"', `outcome="${outcome}"`]) - sample(before, ['trigger="PreSignUp_AdminCreateUser"', `outcome="${outcome}"`]);
      assert.equal(delta('ok'), 1);
      assert.equal(delta('function-error'), 1);
    });
  });
}
