#!/usr/bin/env node
// A line comment: no key.
/* A block comment
   over two lines: no key. */
'use strict';
const path = require("path");
const re = /a#b c\/[x]/gi; // a `#` inside a regex cuts nothing
const division = total / count / 2;

function outer(a, b) {
  const inner = (x) => {
    const deeper = function () {
      return x;
    };
    return `sum ${x + a} and ${`nested ${b}`}`;
  };
  setTimeout(() => {
    inner(1);
  }, 10);
  return inner;
}

const named = function realName() {
  return 1;
};

exports.handler = function (req, res) {
  res.send(`multi
line ${req.url}
template`);
  return res;
};
module.exports.other = async () => 2;
Widget.prototype.render = function () {
  return this;
};
app.get = function get(path) {};

@decorate({ option: true })
class Widget extends Base {
  #secret = 1;
  static count = 0;
  onClick = () => {
    this.count++;
  };
  @bound
  render() {
    return (
      <div className="widget" aria-label={label}>
        Hello {name}, welcome!
        <span>{items.map((item) => <Item key={item.id} {...item} />)}</span>
      </div>
    );
  }
  get size() { return 1; }
  *[Symbol.iterator]() {}
}

const api = {
  create: function () {
    return new (class {
      run() {
        return 1;
      }
    })();
  },
  update() {},
  'quoted-key': () => 3,
};
function a() {}; function b() {
  return 2;
}
