// The application shell: classification banners at the top and bottom, the current screen between them.
import { ClassificationBanner } from './components/classification-banner.tsx';
import { SignIn } from './screens/sign-in.tsx';

/** The whole page. Before sign-in nothing classified is shown, so the banners say UNCLASSIFIED. */
export function App() {
  return (
    <div class="shell">
      <header class="top">
        <ClassificationBanner level="UNCLASSIFIED" position="top" />
      </header>
      <main id="main">
        <SignIn />
      </main>
      <footer class="bottom">
        <ClassificationBanner level="UNCLASSIFIED" position="bottom" />
      </footer>
    </div>
  );
}
