import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { createConsoleClient } from './client';
import { applyTheme, storedTheme } from './theme';
import { App } from './App';
import './console.css';

applyTheme(storedTheme());
const client = createConsoleClient();
createRoot(document.getElementById('root')!).render(
  <Provider value={client}>
    <App />
  </Provider>,
);
