import type { MessageKey } from '../../i18n/index.js';
import type { FieldError } from '../../platform/errors.js';
import { ActionButton, ErrorSummary, Field, ListRow, Notice, PageHeading, PostForm } from '../../views/components.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import { Duration } from './chat-views.js';
import { chatLimits } from './schemas.js';
import type { Room } from './services/rooms.js';

/** Rooms' pages (ADR 0064): the member's rooms, a group's rooms, creating one, a room's settings. */

function RoomRow(props: { room: Room; withGroup: boolean }) {
  const { t, formatNumber } = useView();
  const r = props.room;
  const facts = [
    ...(props.withGroup
      ? [
          {
            label: t('chat.rooms.list.group'),
            value: r.groupId ? (
              <a href={`/groups/${r.groupId}/rooms`} dir="auto">
                {r.groupName}
              </a>
            ) : (
              t('chat.rooms.mine.instance')
            ),
          },
        ]
      : []),
    {
      label: t('chat.rooms.list.timer'),
      value: r.timer === null ? t('chat.rooms.list.timerOff') : <Duration seconds={r.timer} />,
    },
    ...(r.unread.count > 0
      ? [
          {
            label: t('chat.rooms.list.unreadLabel'),
            value: (
              <a
                class="unread-link"
                href={
                  r.unread.firstUnreadPosition === null
                    ? `/rooms/${r.id}`
                    : `/rooms/${r.id}?from=${r.unread.firstUnreadPosition}#first-unread`
                }
              >
                {t('chat.rooms.list.unread', { count: r.unread.count, formatted: formatNumber(r.unread.count) })}
              </a>
            ),
          },
        ]
      : []),
    ...(r.archived ? [{ label: t('chat.rooms.list.state'), value: t('chat.rooms.list.archived') }] : []),
  ];
  return (
    <ListRow title={<a href={`/rooms/${r.id}`}>{r.name}</a>} titleDir="auto" facts={facts}>
      {r.canManage && <a href={`/rooms/${r.id}/settings`}>{t('chat.rooms.settings.title')}</a>}
    </ListRow>
  );
}

function RoomList(props: { rooms: Room[]; withGroup: boolean; empty: MessageKey }) {
  const { t } = useView();
  if (props.rooms.length === 0) return <p class="empty">{t(props.empty)}</p>;
  return (
    <ul class="row-list">
      {props.rooms.map((r) => (
        <RoomRow key={r.id} room={r} withGroup={props.withGroup} />
      ))}
    </ul>
  );
}

const notices: Record<string, MessageKey> = {
  deleted: 'chat.rooms.notice.deleted',
};
export const roomNotice = (done: string | undefined) => (done ? notices[done] : undefined);

export function MyRoomsPage(props: { rooms: Room[]; canCreateInstanceRoom: boolean; notice?: MessageKey | undefined }) {
  const { t } = useView();
  const instance = props.rooms.filter((r) => r.groupId === null);
  const groups = props.rooms.filter((r) => r.groupId !== null);
  return (
    <>
      <PageHeading lead={t('chat.rooms.mine.lead')}>{t('chat.rooms.mine.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {/* Private conversations live beside the rooms: the one "Chat" link in the navigation leads to both. */}
      <p>
        <a href="/conversations">{t('chat.rooms.mine.conversations')}</a>
      </p>
      <section aria-labelledby="instance-rooms">
        <div class="section-heading">
          <h2 id="instance-rooms">{t('chat.rooms.mine.instance')}</h2>
          {props.canCreateInstanceRoom && (
            <a class="button button-small" href="/rooms/new">
              {t('chat.rooms.new.instanceTitle')}
            </a>
          )}
        </div>
        <RoomList rooms={instance} withGroup={false} empty="chat.rooms.mine.instanceEmpty" />
      </section>
      <section aria-labelledby="group-rooms">
        <h2 id="group-rooms">{t('chat.rooms.mine.groups')}</h2>
        <RoomList rooms={groups} withGroup empty="chat.rooms.mine.groupsEmpty" />
      </section>
    </>
  );
}

export function GroupRoomsPage(props: {
  group: { id: string; name: string };
  rooms: Room[];
  canManage: boolean;
  form?: RoomFormState | undefined;
  notice?: MessageKey | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <p class="breadcrumb">
        <a href={`/groups/${props.group.id}`} dir="auto">
          {props.group.name}
        </a>
      </p>
      <PageHeading>
        <Sentence message="chat.rooms.group.title" names={{ group: props.group.name }} />
      </PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <RoomList rooms={props.rooms} withGroup={false} empty="chat.rooms.group.empty" />
      {props.canManage && (
        <section class="panel" aria-labelledby="new-room">
          <h2 id="new-room">{t('chat.rooms.new.title')}</h2>
          <RoomForm action={`/groups/${props.group.id}/rooms`} state={props.form} submit="chat.rooms.new.submit" />
        </section>
      )}
    </>
  );
}

export interface RoomFormState {
  values: { name?: string };
  errors: FieldError[];
  general?: MessageKey | undefined;
}

function RoomForm(props: { action: string; state: RoomFormState | undefined; submit: MessageKey }) {
  const { t } = useView();
  const state = props.state ?? { values: {}, errors: [] };
  return (
    <>
      <ErrorSummary errors={state.errors} general={state.general} form="room" />
      <PostForm action={props.action}>
        <Field
          name="name"
          form="room"
          label={t('chat.rooms.form.name')}
          hint={t('chat.rooms.form.nameHint', { min: chatLimits.roomNameMin, max: chatLimits.roomNameMax })}
          value={state.values.name}
          required
          minLength={chatLimits.roomNameMin}
          maxLength={chatLimits.roomNameMax}
          errors={state.errors}
        />
        <button type="submit" class="button">
          {t(props.submit)}
        </button>
      </PostForm>
    </>
  );
}

/** Creating a room: in a group (from `?group=`), or for everyone on the instance. */
export function NewRoomPage(props: { group: { id: string; name: string } | null; state?: RoomFormState | undefined }) {
  const { t } = useView();
  return (
    <>
      {props.group && (
        <p class="breadcrumb">
          <a href={`/groups/${props.group.id}/rooms`} dir="auto">
            {props.group.name}
          </a>
        </p>
      )}
      <PageHeading lead={props.group ? undefined : t('chat.rooms.new.instanceLead')}>
        {props.group ? t('chat.rooms.new.title') : t('chat.rooms.new.instanceTitle')}
      </PageHeading>
      <RoomForm
        action={props.group ? `/groups/${props.group.id}/rooms` : '/rooms'}
        state={props.state}
        submit="chat.rooms.new.submit"
      />
    </>
  );
}

export function RoomSettingsPage(props: {
  room: Room;
  state?: RoomFormState | undefined;
  notice?: MessageKey | undefined;
}) {
  const { t } = useView();
  const r = props.room;
  return (
    <>
      <p class="breadcrumb">
        <a href={`/rooms/${r.id}`} dir="auto">
          {r.name}
        </a>
      </p>
      <PageHeading>{t('chat.rooms.settings.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <section class="panel" aria-labelledby="rename-title">
        <h2 id="rename-title">{t('chat.rooms.settings.rename')}</h2>
        <RoomForm
          action={`/rooms/${r.id}/settings`}
          state={props.state ?? { values: { name: r.name }, errors: [] }}
          submit="chat.rooms.settings.save"
        />
      </section>
      <section class="panel" aria-labelledby="archive-title">
        <h2 id="archive-title">{r.archived ? t('chat.rooms.settings.unarchive') : t('chat.rooms.settings.archive')}</h2>
        <p>{r.archived ? t('chat.rooms.settings.unarchiveHint') : t('chat.rooms.settings.archiveHint')}</p>
        <ActionButton
          action={`/rooms/${r.id}/archive`}
          fields={{ archived: r.archived ? '0' : '1' }}
          label={r.archived ? t('chat.rooms.settings.unarchive') : t('chat.rooms.settings.archive')}
          kind="secondary"
        />
      </section>
      <section class="panel panel-danger" aria-labelledby="delete-title">
        <h2 id="delete-title">{t('chat.rooms.settings.delete')}</h2>
        <p>{t('chat.rooms.settings.deleteHint')}</p>
        <a class="button button-danger" href={`/rooms/${r.id}/delete`}>
          {t('chat.rooms.settings.delete')}
        </a>
      </section>
    </>
  );
}

export function DeleteRoomPage(props: { room: Room }) {
  const { t } = useView();
  const r = props.room;
  return (
    <>
      <PageHeading>
        <Sentence message="chat.rooms.delete.title" names={{ room: r.name }} />
      </PageHeading>
      <section class="panel panel-danger">
        <p>{t('chat.rooms.delete.body')}</p>
        <PostForm action={`/rooms/${r.id}/delete`}>
          <p class="actions">
            <button type="submit" class="button button-danger">
              {t('chat.rooms.delete.submit')}
            </button>
            <a class="button button-secondary" href={`/rooms/${r.id}/settings`}>
              {t('form.cancel')}
            </a>
          </p>
        </PostForm>
      </section>
    </>
  );
}
