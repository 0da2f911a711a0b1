/** Plays a recorded run (asciicast v2) in place of its button; loaded on the first click only. */
import * as AsciinemaPlayer from 'asciinema-player';
import playerCss from 'asciinema-player/dist/bundle/asciinema-player.css?url';
import { addStylesheet } from './css.ts';

export async function playRecording(box: HTMLElement, src: string): Promise<void> {
  await addStylesheet(playerCss);
  box.replaceChildren();
  const holder = document.createElement('div');
  holder.className = 'klab-replay__player';
  box.append(holder);
  AsciinemaPlayer.create(src, holder, {
    autoPlay: true,
    fit: 'width',
    idleTimeLimit: 1,
    terminalFontSize: '14px',
    theme: document.documentElement.dataset.theme === 'light' ? 'solarized-light' : 'asciinema',
  });
  holder.querySelector<HTMLElement>('.ap-player')?.focus();
}
