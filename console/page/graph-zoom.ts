import { h } from './dom.ts';

/** Each zoom step (button or wheel notch) scales by this. */
const STEP = 1.25;
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 8;

interface View {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Fit-to-view, zoom (buttons, wheel at the pointer) and drag-to-pan of an SVG drawing, through its
 * viewBox: zoom 1 shows the whole drawing in its container, without scrolling.
 */
export class GraphZoom {
  readonly controls: HTMLElement;
  #view: View;
  #drag: { x: number; y: number; view: View } | undefined;

  constructor(
    private readonly root: SVGSVGElement,
    private readonly size: { readonly width: number; readonly height: number },
  ) {
    this.#view = { x: 0, y: 0, width: size.width, height: size.height };
    root.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    this.controls = h(
      'div',
      { class: 'zoom-controls', role: 'toolbar', 'aria-label': 'Zoom' },
      h('button', { 'data-testid': 'zoom-in', title: 'Zoom in', onclick: () => this.zoomBy(STEP) }, '+'),
      h('button', { 'data-testid': 'zoom-out', title: 'Zoom out', onclick: () => this.zoomBy(1 / STEP) }, '−'),
      h('button', { 'data-testid': 'zoom-fit', title: 'Fit the whole graph', onclick: () => this.fit() }, 'fit'),
    );
    root.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        this.zoomBy(event.deltaY < 0 ? STEP : 1 / STEP, this.#toDrawing(event.clientX, event.clientY));
      },
      { passive: false },
    );
    root.addEventListener('pointerdown', (event) => {
      if ((event.target as Element).closest('[data-node]')) return;
      this.#drag = { x: event.clientX, y: event.clientY, view: { ...this.#view } };
      root.setPointerCapture(event.pointerId);
    });
    root.addEventListener('pointermove', (event) => {
      if (!this.#drag) return;
      const perPixel = 1 / (root.getScreenCTM()?.a ?? 1);
      this.#view.x = this.#drag.view.x - (event.clientX - this.#drag.x) * perPixel;
      this.#view.y = this.#drag.view.y - (event.clientY - this.#drag.y) * perPixel;
      this.#apply();
    });
    root.addEventListener('pointerup', () => (this.#drag = undefined));
    this.#apply();
  }

  /** Sizes the drawing to `pane` (now and whenever the pane is resized): at zoom 1 all of it shows there. */
  fill(pane: HTMLElement): void {
    const resize = () => {
      this.root.setAttribute('width', String(pane.clientWidth));
      this.root.setAttribute('height', String(pane.clientHeight));
    };
    resize();
    new ResizeObserver(resize).observe(pane);
  }

  /** Zoom relative to the fitted drawing (1 = all of it in view). */
  get zoom(): number {
    return this.size.width / this.#view.width;
  }

  fit(): void {
    this.#view = { x: 0, y: 0, width: this.size.width, height: this.size.height };
    this.#apply();
  }

  /** Scales by `factor`, keeping `at` (drawing coordinates; default the view's centre) where it is. */
  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * factor));
    const scale = this.zoom / zoom;
    const v = this.#view;
    const cx = at?.x ?? v.x + v.width / 2;
    const cy = at?.y ?? v.y + v.height / 2;
    this.#view = {
      x: cx - (cx - v.x) * scale,
      y: cy - (cy - v.y) * scale,
      width: v.width * scale,
      height: v.height * scale,
    };
    this.#apply();
  }

  #toDrawing(clientX: number, clientY: number): { x: number; y: number } | undefined {
    const ctm = this.root.getScreenCTM();
    if (!ctm) return undefined;
    const point = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
    return { x: point.x, y: point.y };
  }

  #apply(): void {
    const v = this.#view;
    this.root.setAttribute('viewBox', `${v.x} ${v.y} ${v.width} ${v.height}`);
    this.root.dataset.zoom = this.zoom.toFixed(2);
  }
}
