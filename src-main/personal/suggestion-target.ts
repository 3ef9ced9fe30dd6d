// Where a personal suggestion comes from and where it goes. Its category is the field its model
// learned from, in lower case (field names are A-Z, 0-9 and _, so nothing is lost); it is written
// back to that field when Betti writes that field (GENRE, MOOD, a custom name), otherwise (a
// keyword learned from COMMENT, a standard field such as COMPOSER) to the person's custom field.
import { fieldNameProblem } from '../tags/fields.ts';

export const categoryOfField = (field: string): string => field.toLowerCase();
export const fieldOfCategory = (category: string): string => category.toUpperCase();

export function writeTarget(field: string, customField: string): string {
  return fieldNameProblem(field) === undefined ? field : customField;
}
