// A small line chart on <canvas>: the last 60 samples of one or two series, autoscaled.
const COLORS = ['#0f5e6e', '#b3261e'];
const KEEP = 60;

export class LineChart {
  constructor(title, format) {
    this.title = title; this.format = format; this.samples = [];
    this.canvas = document.createElement('canvas');
    this.canvas.width = 360; this.canvas.height = 140;
    this.draw();
  }

  push(values) {
    this.samples.push(values.map(v => (isFinite(v) && v > 0 ? v : 0)));
    if (this.samples.length > KEEP) this.samples.shift();
    this.draw();
  }

  draw() {
    const c = this.canvas.getContext('2d');
    const w = this.canvas.width, hgt = this.canvas.height, top = 22, bottom = hgt - 6;
    c.clearRect(0, 0, w, hgt);
    c.fillStyle = '#1d2733'; c.font = '12px system-ui, sans-serif';
    const latest = this.samples.length ? this.samples[this.samples.length - 1] : [];
    c.fillText(this.title + (latest.length ? ': ' + latest.map(this.format).join(' / ') : ''), 8, 15);
    let max = 0;
    for (const s of this.samples) for (const v of s) max = Math.max(max, v);
    max = max > 0 ? max * 1.15 : 1;
    c.strokeStyle = '#dde2e8'; c.beginPath(); c.moveTo(0, bottom); c.lineTo(w, bottom); c.stroke();
    c.fillStyle = '#66707c'; c.fillText(this.format(max), w - 50, top + 10);
    const series = this.samples.length ? this.samples[0].length : 0;
    for (let k = 0; k < series; k++) {
      c.strokeStyle = COLORS[k % COLORS.length]; c.lineWidth = 1.5; c.beginPath();
      this.samples.forEach((s, i) => {
        const x = w - 1 - (w - 2) * (this.samples.length - 1 - i) / (KEEP - 1); // newest at the right
        const y = bottom - (bottom - top) * (s[k] / max);
        if (i === 0) c.moveTo(x, y); else c.lineTo(x, y);
      });
      c.stroke();
    }
  }
}
