import { startAppHost } from './browser.ts';
const h = await startAppHost(['--sandbox']);
try {
  console.log(await h.modelTools());
  await h.call('create_record', { zone: 'example.com', record_type: 'TXT', name: 'app', value: '<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>', ttl: 300 });
  const r = await h.run('delete_record', { zone: 'example.com', name: 'app', record_type: 'TXT' });
  console.log(r.structuredContent?.confirmation, Object.keys(r.structuredContent ?? {}), JSON.stringify(r._meta).slice(0, 200));
  console.log(r.content?.[0]?.text);
  const st = await h.viewState('Approve');
  console.log(st);
  await (await h.page.$('iframe#view'))!.screenshot({ path: '/tmp/plan.png' });
  const f = await h.view();
  await f.click('#approve');
  await h.viewState('approved');
  console.log(await f.evaluate('document.body.innerText'));
  console.log(JSON.stringify(await h.appCalls()).slice(0, 600));
  await (await h.page.$('iframe#view'))!.screenshot({ path: '/tmp/plan2.png' });
} finally { console.error(h.stderr().slice(-2000)); await h.close(); }
