// Naming a profile inline (New / Rename) instead of window.prompt(): a real form the keyboard can drive
// (focus lands in the field, Enter saves, Escape cancels), that screen readers announce, and that tests
// can fill like any other field.
import { useEffect, useId, useRef, useState } from 'react';

export interface ProfileNameFormProps {
  readonly label: string;
  readonly initial: string;
  readonly submitText: string;
  readonly onSubmit: (name: string) => void;
  readonly onCancel: () => void;
}

export function ProfileNameForm({ label, initial, submitText, onSubmit, onCancel }: ProfileNameFormProps) {
  const [name, setName] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => input.current?.select(), []);
  const trimmed = name.trim();
  return (
    <form
      className="profile-name-form"
      data-testid="profile-name-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (trimmed) onSubmit(trimmed);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={id}>{label}</label>
      <input id={id} ref={input} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} data-testid="profile-name-input" autoFocus />
      <button type="submit" className="button small primary" disabled={!trimmed} data-testid="profile-name-save">
        {submitText}
      </button>
      <button type="button" className="button small" onClick={onCancel} data-testid="profile-name-cancel">
        Cancel
      </button>
    </form>
  );
}
