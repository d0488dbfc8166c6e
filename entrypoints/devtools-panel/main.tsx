/**
 * The panel page: subscribe to the inspected tab (subscription.ts), then render the app (mount.tsx). The order of
 * the imports is the order they run in: the port opens before the app's modules are evaluated.
 */
import { params, tabId, transport } from './subscription';
import { mountPanel } from './mount';
import './style.css';

mountPanel(transport, tabId, params);
