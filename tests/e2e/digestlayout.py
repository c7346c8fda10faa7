#!/usr/bin/env python3
"""Lays a digest's HTML part out in headless Chromium, through
chromedriver's WebDriver HTTP API (plain JSON over HTTP: Python's standard
library is enough), and measures it the way a phone shows it.

  digestlayout.py measure PORT FILE.html WIDTH [AXE.js]
      prints one JSON object: height and width of the page, the client
      width, every link's text and box, and with AXE.js the serious and
      critical axe-core violations (id and the first target of each)
  digestlayout.py shot PORT FILE.html WIDTH OUT.png
      a screenshot of the whole page at that width

PORT is a chromedriver already listening on 127.0.0.1.
"""
import base64
import json
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

MEASURE = r'''
var d = document.documentElement, b = document.body;
var links = [];
var as = document.querySelectorAll('a');
for (var i = 0; i < as.length; i++) {
  var r = as[i].getBoundingClientRect();
  links.push({text: as[i].textContent.trim(), href: as[i].getAttribute('href'),
              top: r.top, height: r.height, width: r.width,
              right: r.right, left: r.left,
              visible: r.width > 0 && r.height > 0});
}
return {height: Math.max(d.scrollHeight, b.scrollHeight),
        width: Math.max(d.scrollWidth, b.scrollWidth),
        client: d.clientWidth, links: links};
'''

AXE = r'''
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  done(r.violations.filter(function (v) {
    return v.impact === 'serious' || v.impact === 'critical';
  }).map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            target: v.nodes.length ? v.nodes[0].target : []};
  }));
}, function (e) { done({error: String(e)}); });
'''


class Driver:
    def __init__(self, port):
        self.base = 'http://127.0.0.1:%s' % port
        self.profile = tempfile.mkdtemp(prefix='chorus-chrome.')
        caps = {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome',
            'goog:chromeOptions': {
                'binary': '/usr/bin/chromium',
                'args': ['--headless=new', '--no-sandbox', '--disable-gpu',
                         '--disable-dev-shm-usage', '--hide-scrollbars',
                         '--force-device-scale-factor=1',
                         '--disable-background-networking',
                         '--disable-component-update', '--no-first-run',
                         '--user-data-dir=' + self.profile]}}}}
        self.sid = self.call('POST', '/session', caps)['sessionId']

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.load(r)['value']

    def s(self, method, path, body=None):
        return self.call(method, '/session/%s%s' % (self.sid, path), body)

    def size(self, width, height):
        self.s('POST', '/window/rect', {'width': width, 'height': height})
        # The window's frame may take room: make the viewport the size
        # asked for.
        w, h = self.s('POST', '/execute/sync', {
            'script': 'return [window.innerWidth, window.innerHeight]',
            'args': []})
        if (w, h) != (width, height):
            self.s('POST', '/window/rect', {'width': 2 * width - w,
                                            'height': 2 * height - h})

    def open(self, path, width, height=900):
        self.size(width, height)
        self.s('POST', '/url', {'url': 'file://' + os.path.abspath(path)})

    def run(self, script):
        return self.s('POST', '/execute/sync', {'script': script, 'args': []})

    def close(self):
        try:
            self.s('DELETE', '')
        except (urllib.error.URLError, OSError):
            pass
        # The browser is gone with its session: its profile too.
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    what, port, path, width = sys.argv[1:5]
    width = int(width)
    d = Driver(port)
    try:
        d.open(path, width)
        if what == 'measure':
            out = d.run(MEASURE)
            if len(sys.argv) > 5:
                d.run(open(sys.argv[5]).read())
                d.s('POST', '/timeouts', {'script': 60000})
                out['axe'] = d.s('POST', '/execute/async',
                                 {'script': AXE, 'args': []})
            print(json.dumps(out))
        elif what == 'shot':
            h = d.run(MEASURE)['height']
            d.size(width, int(h))
            png = base64.b64decode(d.s('GET', '/screenshot'))
            with open(sys.argv[5], 'wb') as f:
                f.write(png)
        else:
            raise SystemExit('digestlayout: unknown command ' + what)
    finally:
        d.close()


if __name__ == '__main__':
    main()
