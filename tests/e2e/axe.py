# Runs axe-core in headless Chromium (through chromedriver's WebDriver
# HTTP API) on each URL and prints every serious or critical violation.
# Usage: axe.py DRIVER_PORT PROFILE_DIR AXE_JS URL...  Exit 1 if any.
import json, sys, urllib.request

dport, profile, axe_js, urls = sys.argv[1], sys.argv[2], sys.argv[3], \
    sys.argv[4:]
W = 'http://127.0.0.1:%s' % dport
AXE = open(axe_js, encoding='utf-8').read()

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(W + path, data=data, method=method,
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)['value']

caps = {'capabilities': {'alwaysMatch': {
    'browserName': 'chrome',
    'goog:chromeOptions': {
        'binary': '/usr/bin/chromium',
        'args': ['--headless=new', '--no-sandbox', '--disable-gpu',
                 '--disable-dev-shm-usage', '--window-size=1200,900',
                 '--user-data-dir=' + profile]}}}}
sid = call('POST', '/session', caps)['sessionId']
S = '/session/' + sid
bad = 0
try:
    for url in urls:
        call('POST', S + '/url', {'url': url})
        # A returned promise is awaited by WebDriver's execute/sync.
        res = call('POST', S + '/execute/sync', {'script': AXE +
            '\nreturn axe.run(document, {resultTypes: ["violations"]})'
            '.then(r => r.violations.map(v => ({id: v.id, impact: v.impact,'
            ' help: v.help, nodes: v.nodes.map(n => n.target.join(" ") +'
            ' ": " + (n.failureSummary || "").split("\\n").join(" "))})));',
            'args': []})
        n = 0
        for v in res:
            if v['impact'] in ('serious', 'critical'):
                n += 1
                print('%s: %s (%s): %s' % (url, v['id'], v['impact'],
                    v['help']))
                for node in v['nodes'][:5]:
                    print('    ' + node)
        print('%s: %d serious or critical, %d in all' % (url, n, len(res)))
        bad += n
finally:
    call('DELETE', S)
sys.exit(1 if bad else 0)
