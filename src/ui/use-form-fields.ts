import { useState, type ChangeEvent } from 'react';

type StringKey<Values> = { [K in keyof Values]: Values[K] extends string ? K : never }[keyof Values];

/** Schema messages read "is required"; the field's name makes them a sentence. */
function fieldMessage(fields: Record<string, string>, name: string, label: string): string | undefined {
  const message = fields[name];
  return message ? `${label} ${message}` : undefined;
}

/**
 * A form's values and its field errors (the server's `error.fields` shape). `textField(key, label)`
 * gives a TextField or TextAreaField its value, its change handler and its error as a sentence.
 */
export function useFormFields<Values extends object>(initialValues: Values) {
  const [values, setValues] = useState(initialValues);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function textField<K extends StringKey<Values> & string>(key: K, errorLabel: string) {
    return {
      value: values[key] as string,
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(key, event.target.value as Values[K]),
      error: fieldMessage(fieldErrors, key, errorLabel),
    };
  }

  return { values, set, fieldErrors, setFieldErrors, textField };
}
