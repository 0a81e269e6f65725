// Page entry for test/unit/preview.browser.test.ts: exposes the webview's SVG parser to the test.
import { svgElementFrom } from '../../../webview/renderer';

(window as unknown as { svgElementFrom: typeof svgElementFrom }).svgElementFrom = svgElementFrom;
