// One Notifier per AlertProvider type (Flagger's notifier.Factory).
import { type AlertProviderType } from '../../api/alert-provider';
import { discord } from './discord';
import { gchat } from './gchat';
import { msteams } from './msteams';
import { type Notifier } from './notifier';
import { rocket } from './rocket';
import { slack } from './slack';

const notifiers: Readonly<Record<AlertProviderType, Notifier>> = { slack, msteams, discord, rocket, gchat };

/** The notifier for a provider type; undefined for a type Perch does not know. */
export function notifierFor(type: string): Notifier | undefined {
  return Object.hasOwn(notifiers, type) ? notifiers[type as AlertProviderType] : undefined;
}
